# hostile: sh() with two arguments
echo ${sh("a", "b")}
