import { PaddockApplication } from './application.js';

export interface BuildInfo {
  version: string;
}

export async function main(argv: string[], buildInfo: BuildInfo): Promise<number> {
  const application = new PaddockApplication(buildInfo.version);
  return await application.runAsync(argv);
}
