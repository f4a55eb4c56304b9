import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { UsersModule } from '../../../src/users';
import { buildProfile } from '../../factories/user.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

// The users module is tested here; the response cache in front of GET /user/profile has its own suite.
process.env.CACHING__ENABLED = 'false';

describe(UsersModule.name, () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });

  afterAll(async () => {
    await t.close();
  });

  describe('GET /user/profile', () => {
    it('should create the profile on first use and return it with the token role', async () => {
      const auth = t.auth('admin');

      const res = await request(t.server).get('/user/profile').set(auth).expect(200);

      expect(res.body).toEqual({
        id: auth.userId,
        email: null,
        display_name: null,
        role: 'admin',
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      const rows = await db.query('SELECT id FROM users WHERE id = $1', [auth.userId]);
      expect(rows).toHaveLength(1);
    });

    it('should not insert again for a user already ensured', async () => {
      const auth = t.auth();
      await request(t.server).get('/user/profile').set(auth).expect(200);

      const { queries } = await t.recordQueries(() =>
        request(t.server).get('/user/profile').set(auth).expect(200),
      );

      expect(queries.map((q) => q.kind)).toEqual(['SELECT']);
    });

    it('should answer 401 without a token', async () => {
      await request(t.server).get('/user/profile').expect(401);
    });
  });

  describe('PUT /user/profile', () => {
    it('should update display_name and email', async () => {
      const auth = t.auth();
      const body = buildProfile();

      const res = await request(t.server).put('/user/profile').set(auth).send(body).expect(200);

      expect(res.body).toMatchObject({ id: auth.userId, role: 'user', ...body });
      const again = await request(t.server).get('/user/profile').set(auth).expect(200);
      expect(again.body).toMatchObject(body);
    });

    it('should keep absent fields and clear fields sent as null', async () => {
      const auth = t.auth();
      const body = buildProfile();
      await request(t.server).put('/user/profile').set(auth).send(body).expect(200);

      const res = await request(t.server)
        .put('/user/profile')
        .set(auth)
        .send({ display_name: null })
        .expect(200);

      expect(res.body).toMatchObject({ display_name: null, email: body.email });
    });

    it.each([
      [{ email: 'not-an-email' }, 'email'],
      [{ display_name: '' }, 'display_name'],
      [{ display_name: 'x'.repeat(201) }, 'display_name'],
      [{ display_name: 42 }, 'display_name'],
      [{ role: 'admin' }, 'role'],
    ])('should answer 400 naming the field for %j', async (body, field) => {
      const res = await request(t.server).put('/user/profile').set(t.auth()).send(body).expect(400);

      expect(JSON.stringify(res.body.message)).toContain(field);
    });

    it('should answer 409 when the email belongs to another user', async () => {
      const email = `taken-${randomUUID().slice(0, 8)}@example.com`;
      await request(t.server).put('/user/profile').set(t.auth()).send({ email }).expect(200);

      await request(t.server).put('/user/profile').set(t.auth()).send({ email }).expect(409);
    });

    it('should answer 401 without a token', async () => {
      await request(t.server).put('/user/profile').send(buildProfile()).expect(401);
    });
  });
});
