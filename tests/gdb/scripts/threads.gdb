set pagination off
set confirm off
file PROG
target remote :PORT
break meet
continue
info threads
thread apply all bt
thread 2
info registers pc
thread 1
continue
