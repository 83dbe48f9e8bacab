# Test template: holds 300 MB for 3 s, so SLURM kills it under --mem=200M (not under 400M).
python3 -c "a = bytearray(300 * 1024 * 1024); import time; time.sleep(3)"
