/**
 * The environment a Power Platform API path names (`…/environments/{environmentId}/…`), or a 404
 * in the API's error shape when the simulated world has none with exactly that id.
 */
import type { Request, Response } from 'express';
import { sendError } from './auth-middleware.ts';
import type { SimEnvironment } from './model.ts';
import type { SimulatorWorld } from './world.ts';

/** A reader of `req.params.environmentId` for one world; answers the 404 itself when unknown. */
export function environmentOfRequest(
  world: SimulatorWorld,
): (req: Request, res: Response) => SimEnvironment | undefined {
  return (req, res) => {
    const env = world.findEnvironment(String(req.params.environmentId));
    if (!env || env.id !== req.params.environmentId) {
      sendError(res, 404, 'EnvironmentNotFound', `Environment '${req.params.environmentId}' was not found.`);
      return undefined;
    }
    return env;
  };
}
