using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Domain.Users;
using Microsoft.Extensions.Logging;

namespace Acme.AuthPlatform.Extensions.ExternalDirectory;

/// <summary>
/// Pushes each new user to Acme's directory. The event is handled while the registration saves,
/// before the commit; the call to the other system waits for the commit (<see cref="IAfterCommit"/>),
/// so a registration that fails (a lost race on the unique email) pushes nothing. A directory that
/// is down does not undo the account: the failure is logged for Acme's reconciliation job.
/// </summary>
public sealed partial class PushNewUserToDirectory(
    IExternalDirectory directory,
    IAfterCommit afterCommit,
    ILogger<PushNewUserToDirectory> logger) : DomainEventHandler<UserRegistered>
{
    protected override ValueTask Handle(UserRegistered domainEvent, CancellationToken cancellationToken)
    {
        var user = new DirectoryUser(domainEvent.UserId, domainEvent.Email, domainEvent.Name);
        afterCommit.Enqueue(async token =>
        {
            try
            {
                await directory.AddUserAsync(user, token);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPushFailed(logger, e, user.Id);
            }
        });
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId} was registered but could not be pushed to the external directory.")]
    private static partial void LogPushFailed(ILogger logger, Exception exception, Guid userId);
}
