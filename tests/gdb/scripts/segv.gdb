set pagination off
set confirm off
file PROG
target remote :PORT
continue
bt
info registers pc
p where
continue
