using Microsoft.Extensions.Logging;

namespace Acme.AuthPlatform.Extensions.ExternalDirectory;

/// <summary>A user as Acme's directory knows it.</summary>
public sealed record DirectoryUser(Guid Id, string Email, string Name);

/// <summary>
/// The extension's own port: Acme's company directory (a SCIM or LDAP client in production).
/// Called after the registration committed, never inside the transaction.
/// </summary>
public interface IExternalDirectory
{
    Task AddUserAsync(DirectoryUser user, CancellationToken cancellationToken);
}

/// <summary>The stand-in until a real directory client is registered: it only logs.</summary>
public sealed partial class LoggingExternalDirectory(ILogger<LoggingExternalDirectory> logger) : IExternalDirectory
{
    public Task AddUserAsync(DirectoryUser user, CancellationToken cancellationToken)
    {
        LogAdded(logger, user.Id);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} would be pushed to the external directory.")]
    private static partial void LogAdded(ILogger logger, Guid userId);
}
