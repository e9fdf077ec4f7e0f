set pagination off
set confirm off
target remote :PORT
info registers
p/x $SCTLR
p/x $VBAR
p/x $TCR_EL1
p/x $MAIR_EL1
p/x $TTBR0_EL1
p/x $CPACR
p/x $SPSR_EL1
p/x $ELR_EL1
p/x $ESR_EL1
p/x $SP_EL0
p/x $CNTFRQ_EL0
x/4i $pc
stepi
stepi
stepi
info registers pc x1 sp
x/2gx $pc
kill
