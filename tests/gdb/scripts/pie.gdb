set pagination off
set confirm off
set sysroot SYSROOT
file PROG
target remote :PORT
break main
break square
continue
bt
p greeting
x/s greeting
info sharedlibrary
continue
bt
finish
delete
continue
