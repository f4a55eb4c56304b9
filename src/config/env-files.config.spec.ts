import { DEVELOPMENT_ENV_FILES, developmentEnvFiles } from './env-files.config';

describe(developmentEnvFiles.name, () => {
  it('should read the development files, the untracked local one first', () => {
    expect(developmentEnvFiles({ NODE_ENV: 'development' })).toEqual([
      '.env.local',
      '.env.development',
    ]);
    expect(developmentEnvFiles({})).toEqual([...DEVELOPMENT_ENV_FILES]);
  });

  it('should read no file in production (the development secrets would be used)', () => {
    expect(developmentEnvFiles({ NODE_ENV: 'production' })).toEqual([]);
  });
});
