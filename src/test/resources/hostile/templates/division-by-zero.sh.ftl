# hostile: arithmetic that fails


echo ${1/0}
