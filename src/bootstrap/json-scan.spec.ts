import { JsonBodyError } from './json-body.error';
import { assertJsonDepth, parseJsonBody } from './json-scan';

const parse = (text: string): unknown => JSON.parse(text);
const run = (text: string, sliceBytes = 8) =>
  parseJsonBody(Buffer.from(text), { maxDepth: 4, parse, sliceBytes });

describe(parseJsonBody.name, () => {
  it.each([
    ['[1,2,3]'],
    ['  [ {"a":[1,{"b":2}]} , "x,]}" , null, 3.5 ]  '],
    ['["\\"quoted\\" and \\\\", "é, ü", {"k":"]"}]'],
    ['[]'],
    [' [ ] '],
    ['{"a":[1,2,3,4,5,6,7,8,9]}'],
  ])('should parse %s as JSON.parse does, sliced or not', async (text) => {
    await expect(run(text)).resolves.toEqual(JSON.parse(text));
    await expect(run(text, 1024)).resolves.toEqual(JSON.parse(text));
  });

  it.each([['[1,]'], ['[,1]'], ['[1,,2]'], ['[1,2'], ['[1,2]x'], ['[1,2}'], ['[1,"a]'], ['{']])(
    'should reject %s as invalid JSON with a 400',
    async (text) => {
      const error: unknown = await run(`${text}         `).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JsonBodyError);
      expect(error).toMatchObject({ statusCode: 400, message: 'Body is not valid JSON' });
    },
  );

  it('should reject nesting deeper than maxDepth before parsing, sliced or not', async () => {
    const parseSpy = jest.fn(parse);
    const deep = `[${'['.repeat(10_000)}${']'.repeat(10_000)}]`;
    for (const sliceBytes of [8, 1 << 20]) {
      await expect(
        parseJsonBody(Buffer.from(deep), { maxDepth: 64, parse: parseSpy, sliceBytes }),
      ).rejects.toMatchObject({
        statusCode: 400,
        message: 'Body nests arrays and objects deeper than 64 levels',
      });
    }
    expect(parseSpy).not.toHaveBeenCalled();
  });

  it('should accept exactly maxDepth levels and ignore brackets inside strings', () => {
    expect(() => assertJsonDepth(Buffer.from('[[{"a":[1]}]]'), 4)).not.toThrow();
    expect(() => assertJsonDepth(Buffer.from('[[{"a":[[1]]}]]'), 4)).toThrow(JsonBodyError);
    expect(() => assertJsonDepth(Buffer.from('["[[[[[[\\"[[[["]'), 2)).not.toThrow();
  });

  it('should yield to the event loop between slices of a large array', async () => {
    const body = Buffer.from(JSON.stringify(Array.from({ length: 5000 }, (_, i) => ({ i }))));
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 0);
    const items = (await parseJsonBody(body, { maxDepth: 4, parse, sliceBytes: 1024 })) as
      unknown[] | undefined;
    clearInterval(timer);
    expect(items).toHaveLength(5000);
    expect(ticks).toBeGreaterThan(0);
  });
});
