// A level-sensitive interrupt wire from a device to the interrupt controller.

export type IrqLine = (level: boolean) => void;

export const unconnected: IrqLine = () => {};
