/** The account's devices: list, rename, revoke (which ends the device's sessions at once). */
import type { MiddlewareHandler } from 'hono';
import { deviceIdSchema, patchDeviceRequest, type DeviceResponse } from '../../src/core/protocol.ts';
import { callerOf, type AppEnv, type Deps } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import { pathParam, readJson } from '../http/json.ts';
import type { DeviceRecord } from '../storage/ports.ts';
import type { RouteAdder } from './route.ts';

export function deviceRoutes(route: RouteAdder, deps: Deps, requireAuth: MiddlewareHandler<AppEnv>): void {
  const { meta } = deps;
  const view = (d: DeviceRecord, current: string): DeviceResponse => ({ ...d, current: d.id === current });

  route('GET', '/devices', requireAuth, async (c) => {
    const { accountId, deviceId } = callerOf(c);
    return c.json({ devices: (await meta.listDevices(accountId)).map((d) => view(d, deviceId)) });
  });

  route('PATCH', '/devices/:id', requireAuth, async (c) => {
    const { accountId, deviceId } = callerOf(c);
    const id = pathParam(deviceIdSchema, c.req.param('id'));
    const { name } = await readJson(c, patchDeviceRequest, deps.config.maxJsonBytes);
    if (!(await meta.renameDevice(accountId, id, name))) throw new ApiError('not-found');
    const device = (await meta.listDevices(accountId)).find((d) => d.id === id);
    if (!device) throw new ApiError('not-found');
    return c.json(view(device, deviceId));
  });

  route('DELETE', '/devices/:id', requireAuth, async (c) => {
    const { accountId } = callerOf(c);
    const id = pathParam(deviceIdSchema, c.req.param('id'));
    if (!(await meta.revokeDevice(accountId, id))) throw new ApiError('not-found');
    return c.body(null, 204);
  });
}
