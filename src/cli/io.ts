export interface CliIo { out: NodeJS.WritableStream; err: NodeJS.WritableStream; env: NodeJS.ProcessEnv; }
