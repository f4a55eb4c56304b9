import { BadRequestException } from '@nestjs/common';
import { BatchBodyPipe } from './batch-body.pipe';
import { BatchCreateAgentItemDto } from './dto/batch-agents.dto';

async function messagesOf(promise: Promise<unknown>): Promise<string[]> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BadRequestException);
  return ((error as BadRequestException).getResponse() as { message: string[] }).message;
}

describe(BatchBodyPipe.name, () => {
  const pipe = new BatchBodyPipe(BatchCreateAgentItemDto, 3);
  const valid = { name: 'a', type: 'task' };

  it('should return the items as instances of the item class', async () => {
    const items = await pipe.transform([valid, { ...valid, status: 'inactive' }]);

    expect(items).toHaveLength(2);
    expect(items[0]).toBeInstanceOf(BatchCreateAgentItemDto);
    expect(items[1]).toMatchObject({ name: 'a', status: 'inactive' });
  });

  it.each([
    [{ items: [valid] }, 'body must be a JSON array'],
    [[], 'body must contain 1 to 3 items'],
    [[valid, valid, valid, valid], 'body must contain 1 to 3 items'],
  ])('should reject %j', async (body, message) => {
    await expect(messagesOf(pipe.transform(body))).resolves.toEqual([message]);
  });

  it('should name the index and field of each problem', async () => {
    const body = [valid, null, { ...valid, name: '', tool_ids: [] }];

    const messages = await messagesOf(pipe.transform(body));

    expect([...messages].sort()).toEqual([
      '[1] must be an object',
      '[2].name must be longer than or equal to 1 characters',
      '[2].tool_ids should not exist',
    ]);
  });

  it('should list at most 20 problems', async () => {
    const large = new BatchBodyPipe(BatchCreateAgentItemDto, 100);
    const body = Array.from({ length: 50 }, () => ({ name: 'a', type: 'nope' }));

    const messages = await messagesOf(large.transform(body));

    expect(messages).toHaveLength(20);
    expect(messages[19]).toMatch(/^\[19\]\.type must be one of/);
  });

  it('should validate more items than one slice', async () => {
    const large = new BatchBodyPipe(BatchCreateAgentItemDto, 5000);
    const body = Array.from({ length: 2500 }, () => ({ ...valid }));
    body[2400] = { ...valid, type: 'nope' };

    const messages = await messagesOf(large.transform(body));

    expect(messages).toEqual([expect.stringMatching(/^\[2400\]\.type must be one of/)]);
  });
});
