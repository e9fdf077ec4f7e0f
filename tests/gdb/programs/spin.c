/* Spins until a debugger sets `stop` (then exits 7) or for 50 million laps
   (then exits 3): gdb's Ctrl-C, watchpoints, and a debugger that leaves. */
volatile int stop = 0;
volatile unsigned long laps = 0;

int main(void)
{
	while (!stop && laps < 50000000)
		laps++;
	return stop ? 7 : 3;
}
