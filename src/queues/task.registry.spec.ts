import type { TaskDefinition } from './task-context';
import { TaskRegistry } from './task.registry';

const task = (name: string, queue: string, source = `Tasks.${name}`): TaskDefinition => ({
  name,
  queue,
  source,
  handler: () => Promise.resolve(null),
});

describe(TaskRegistry.name, () => {
  it('should find tasks by name and by queue', () => {
    const registry = new TaskRegistry();
    registry.add(task('a', 'q1'));
    registry.add(task('b', 'q2'));
    registry.add(task('c', 'q1'));

    expect(registry.get('b')?.queue).toBe('q2');
    expect(registry.get('missing')).toBeUndefined();
    expect(registry.ofQueue('q1').map((t) => t.name)).toEqual(['a', 'c']);
    expect(registry.ofQueue('q3')).toEqual([]);
  });

  it('should refuse a task name declared twice, naming both handlers', () => {
    const registry = new TaskRegistry();
    registry.add(task('a', 'q1', 'First.run'));

    expect(() => registry.add(task('a', 'q2', 'Second.run'))).toThrow(
      "@Task('a') is declared twice: First.run and Second.run",
    );
    expect(registry.get('a')?.source).toBe('First.run');
  });
});
