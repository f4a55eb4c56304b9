import { NotFoundException } from '@nestjs/common';
import { mockOf } from '../../test/helpers/mock-of';
import type { Principal } from '../auth';
import { UserEntity } from './user.entity';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

describe(UsersService.name, () => {
  const principal: Principal = { id: '6f1c2f7e-2b43-4c4c-9a55-7f4a4f2e9d10', role: 'admin' };
  const user: UserEntity = {
    id: principal.id,
    email: 'a@example.com',
    displayName: 'A',
    role: 'user',
    createdAt: new Date(0),
    updatedAt: new Date(0),
  };
  let repository: jest.Mocked<UsersRepository>;
  let service: UsersService;

  beforeEach(() => {
    repository = mockOf<UsersRepository>({
      insertIfMissing: jest.fn().mockResolvedValue(undefined),
      findById: jest.fn().mockResolvedValue(user),
      findSummary: jest.fn().mockResolvedValue(user),
      updateProfile: jest.fn().mockResolvedValue(user),
    });
    service = new UsersService(repository);
  });

  it('should insert a user once per process', async () => {
    await service.ensureUser(principal);
    await service.ensureUser(principal);

    expect(repository.insertIfMissing).toHaveBeenCalledTimes(1);
    expect(repository.insertIfMissing).toHaveBeenCalledWith(principal.id, 'admin');
  });

  it('should retry the insert after a failure', async () => {
    repository.insertIfMissing.mockRejectedValueOnce(new Error('down'));

    await expect(service.ensureUser(principal)).rejects.toThrow('down');
    await service.ensureUser(principal);

    expect(repository.insertIfMissing).toHaveBeenCalledTimes(2);
  });

  it("should return the profile with the token's role", async () => {
    const profile = await service.getProfile(principal);

    expect(profile).toEqual({
      id: principal.id,
      email: 'a@example.com',
      display_name: 'A',
      role: 'admin',
      created_at: new Date(0),
      updated_at: new Date(0),
    });
  });

  it('should pass only the given fields to the update', async () => {
    await service.updateProfile(principal, { display_name: null });

    expect(repository.updateProfile).toHaveBeenCalledWith(principal.id, { displayName: null });
  });

  it('should answer 404 and forget the id when the row vanished', async () => {
    await service.ensureUser(principal);
    repository.findById.mockResolvedValueOnce(null);

    await expect(service.getProfile(principal)).rejects.toBeInstanceOf(NotFoundException);
    await service.ensureUser(principal);

    expect(repository.insertIfMissing).toHaveBeenCalledTimes(2);
  });

  it('should map a summary to id and display_name', async () => {
    await expect(service.findSummary(principal.id)).resolves.toEqual({
      id: principal.id,
      display_name: 'A',
    });
  });
});
