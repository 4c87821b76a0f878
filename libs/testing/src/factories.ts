import { Faker, en } from '@faker-js/faker';

/** A seeded faker: synthetic data only, reproducible from the seed a test logs. */
export function seededFaker(seed: number): Faker {
  const faker = new Faker({ locale: [en] });
  faker.seed(seed);
  return faker;
}

/** A seed from MEND_TEST_SEED when replaying a failure, else a fresh one. */
export function testSeed(): number {
  const fromEnvironment = Number(process.env.MEND_TEST_SEED);
  return Number.isInteger(fromEnvironment) && fromEnvironment > 0
    ? fromEnvironment
    : Math.floor(Math.random() * 2 ** 31);
}
