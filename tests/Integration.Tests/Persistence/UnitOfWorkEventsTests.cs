using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Users;
using AuthPlatform.Infrastructure.Persistence;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Integration.Tests.Persistence;

/// <summary>
/// The unit of work of the real app: domain events raised by tracked aggregates are dispatched
/// through the mediator when it saves (the audit row commits with the change it records), and
/// discarding changes forgets their events and the work queued for after their commit.
/// </summary>
public abstract class UnitOfWorkEventsTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    [Fact]
    public async Task SaveChanges_AggregateRaisedAnEvent_WritesItsAuditRowInTheSameSave()
    {
        var user = NewUser();
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<IUserRepository>().Add(user);
            await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
        }

        Assert.Equal(["user.registered"], await AuditTypesAsync(user.Id));
    }

    [Fact]
    public async Task DiscardChanges_BeforeSave_DropsTheEventsAndTheQueuedWork()
    {
        var user = NewUser();
        var ran = false;
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var unitOfWork = scope.ServiceProvider.GetRequiredService<IUnitOfWork>();
            scope.ServiceProvider.GetRequiredService<IUserRepository>().Add(user);
            scope.ServiceProvider.GetRequiredService<IAfterCommit>().Enqueue(_ =>
            {
                ran = true;
                return Task.CompletedTask;
            });

            unitOfWork.DiscardChanges();
            await unitOfWork.SaveChangesAsync(CancellationToken.None);
            await unitOfWork.CommitAsync(CancellationToken.None);
        }

        Assert.False(ran);
        Assert.Empty(await AuditTypesAsync(user.Id));
        Assert.False(await ReadAsync(db => db.Users.AnyAsync(u => u.Id == user.Id)));
    }

    private User NewUser() =>
        User.Register(Guid.NewGuid(), EmailAddress.Create(NewEmail()), "Events", "not-a-real-hash", "stamp", Factory.Clock.GetUtcNow());

    private Task<List<string>> AuditTypesAsync(Guid userId) =>
        ReadAsync(db => db.AuditEvents.Where(e => e.UserId == userId).Select(e => e.Type).ToListAsync());

    private async Task<T> ReadAsync<T>(Func<AuthDbContext, Task<T>> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AuthDbContext>());
    }
}

public sealed class UnitOfWorkEventsTestsOnSqlite(SqliteApiFixture fixture) : UnitOfWorkEventsTests<SqliteApiFixture>(fixture);

public sealed class UnitOfWorkEventsTestsOnPostgres(PostgresApiFixture fixture) : UnitOfWorkEventsTests<PostgresApiFixture>(fixture);
