import { MemoryMetaStore } from '../../../server/storage/memory-meta.ts';
import { MemoryObjectStore } from '../../../server/storage/memory-objects.ts';
import { metaStoreContract, objectStoreContract } from './contract.ts';

metaStoreContract('memory', () => ({ store: new MemoryMetaStore() }));
objectStoreContract('memory', () => ({ store: new MemoryObjectStore() }));
