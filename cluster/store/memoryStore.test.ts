import { createMemoryStore } from './memoryStore';
import { describeStoreConformance } from './storeConformance';

describeStoreConformance('memory', async (options) => createMemoryStore(options));
