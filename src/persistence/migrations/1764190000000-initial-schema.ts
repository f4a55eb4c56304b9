import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, agents (with tools), workflows, documents and templates. */
export class InitialSchema1764190000000 implements MigrationInterface {
  name = 'InitialSchema1764190000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        email varchar(320) UNIQUE,
        display_name varchar(200),
        role varchar(20) NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE agents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL,
        type varchar(50) NOT NULL,
        status varchar(20) NOT NULL DEFAULT 'active',
        description text,
        config jsonb NOT NULL DEFAULT '{}'::jsonb,
        owner_id uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX agents_owner_id_idx ON agents (owner_id)`);
    await queryRunner.query(`
      CREATE TABLE tools (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(100) NOT NULL UNIQUE,
        description text,
        kind varchar(50) NOT NULL DEFAULT 'function',
        config jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE agent_tools (
        agent_id uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        tool_id uuid NOT NULL REFERENCES tools (id) ON DELETE CASCADE,
        PRIMARY KEY (agent_id, tool_id)
      )`);
    await queryRunner.query(`CREATE INDEX agent_tools_tool_id_idx ON agent_tools (tool_id)`);
    await queryRunner.query(`
      CREATE TABLE workflows (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agent_id uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        name varchar(200) NOT NULL,
        description text,
        definition jsonb NOT NULL DEFAULT '{}'::jsonb,
        status varchar(20) NOT NULL DEFAULT 'draft',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX workflows_agent_id_idx ON workflows (agent_id)`);
    await queryRunner.query(`
      CREATE TABLE documents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        title varchar(300) NOT NULL,
        content text NOT NULL,
        status varchar(20) NOT NULL DEFAULT 'pending',
        chunk_count integer,
        stats jsonb,
        processed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX documents_owner_id_idx ON documents (owner_id)`);
    await queryRunner.query(`
      CREATE TABLE templates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL UNIQUE,
        description text,
        type varchar(50) NOT NULL,
        config jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      INSERT INTO templates (name, description, type, config) VALUES
        ('Customer support assistant', 'Answers product questions from the knowledge base', 'conversational',
         '{"model": "default", "temperature": 0.2, "tools": ["knowledge_search"]}'),
        ('Research agent', 'Plans searches, reads sources and writes a cited summary', 'research',
         '{"model": "default", "temperature": 0.4, "max_steps": 12}'),
        ('Code reviewer', 'Reviews a diff and proposes changes', 'coding',
         '{"model": "default", "temperature": 0.1}'),
        ('Task orchestrator', 'Splits a goal into tasks and delegates them to other agents', 'orchestrator',
         '{"model": "default", "max_parallel_tasks": 4}')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'templates',
      'documents',
      'workflows',
      'agent_tools',
      'tools',
      'agents',
      'users',
    ]) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
