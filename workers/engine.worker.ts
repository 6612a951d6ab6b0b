/** The backup engine's worker: exposes EngineService to the page with Comlink, nothing more. */
import { expose } from 'comlink';
import { installErrorTransfer } from '../src/client/engine/errors.ts';
import { EngineService } from '../src/client/engine/service.ts';

installErrorTransfer();
expose(new EngineService());
