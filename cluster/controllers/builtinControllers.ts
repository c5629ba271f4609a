// The controllers the control plane runs, in the order they register with the shared informers.

import type { ControllerFactory } from './runtime/controllerContext';

export const builtinControllers: ControllerFactory[] = [];
