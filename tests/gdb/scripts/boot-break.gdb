set pagination off
set confirm off
file PROG
target remote :PORT
p $pc == _start
break add
continue
bt
p n
p/x $SCTLR
x/s message
watch total
continue
continue
p total
info registers pc cpsr
delete
stepi
stepi
nexti
x/i $pc
finish
detach
