set pagination off
set confirm off
file PROG
target remote :PORT
break main
break debugee.c:34
continue
bt
p local
p counter
p total
p greeting
x/s greeting
p buffer
continue
p i
step
bt
info registers
finish
next
stepi
nexti
x/2i $pc
info registers pc
delete
continue
