import { AbstractStartedContainer, GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';

const MEILI_PORT = 7700;

/** A Meilisearch engine in a container: a master key, the HTTP port mapped to a free host port, ready once /health
 * says "available". Works with the official image and with the local stand-in (same binary, same MEILI_* variables). */
export class MeilisearchContainer extends GenericContainer {
  constructor(image: string, private readonly masterKey: string) {
    super(image);
    this.withExposedPorts(MEILI_PORT)
      .withEnvironment({ MEILI_MASTER_KEY: masterKey, MEILI_NO_ANALYTICS: 'true', MEILI_ENV: 'development' })
      .withWaitStrategy(
        Wait.forHttp('/health', MEILI_PORT).forStatusCode(200).forResponsePredicate((body) => body.includes('"available"')),
      )
      .withStartupTimeout(60_000);
  }

  override async start(): Promise<StartedMeilisearchContainer> {
    return new StartedMeilisearchContainer(await super.start(), this.masterKey);
  }
}

export class StartedMeilisearchContainer extends AbstractStartedContainer {
  constructor(started: StartedTestContainer, private readonly masterKey: string) {
    super(started);
  }

  getUrl(): string {
    return `http://${this.getHost()}:${this.getMappedPort(MEILI_PORT)}`;
  }

  getMasterKey(): string {
    return this.masterKey;
  }
}
