set pagination off
set confirm off
HWWATCH
file PROG
target remote :PORT
break bump
continue
watch counter
delete 1
continue
continue
p counter
delete
continue
