/**
 * Child-process entry point of getCrossLanguageDictionary (see buildPackedInChildProcess in cedict.ts): builds the
 * packed CC-CEDICT dictionary and prints it to stdout in v8.serialize form, so the parent never holds the build's
 * garbage.
 */
import { serialize } from 'node:v8';
import { buildPackedCrossLanguage } from './cedict';

// Not fs.writeSync: the pipe may be non-blocking (EAGAIN); the stream finishes the write before the process exits.
process.stdout.write(serialize(buildPackedCrossLanguage()));
