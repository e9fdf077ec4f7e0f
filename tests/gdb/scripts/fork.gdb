set pagination off
set confirm off
file PROG
target remote :PORT
break work
continue
bt
p who
p calls
continue
