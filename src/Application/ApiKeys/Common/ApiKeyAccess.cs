using AuthPlatform.Application.Common.Results;
using AuthPlatform.Domain.ApiKeys;

namespace AuthPlatform.Application.ApiKeys.Common;

/// <summary>Finding the key a call may change, shared by revoke and delete.</summary>
public static class ApiKeyAccess
{
    public static readonly Error NotFound = Error.NotFound("The API key");

    /// <summary>The key a revoke or delete may change: found, the caller's (or any, for an admin), not wider than the caller.</summary>
    public static async Task<Result<ApiKey>> FindChangeableAsync(
        this IApiKeyRepository keys, KeyScope scope, Guid id, CancellationToken cancellationToken)
    {
        var key = await keys.FindByIdAsync(id, cancellationToken);
        if (key is null || !scope.Covers(key))
        {
            return NotFound;
        }

        return scope.MissingScopeFor(key) is { } missing ? Wider(missing) : key;
    }

    public static Error Wider(string scope) =>
        new(ErrorCodes.InsufficientScope, $"This key carries the '{scope}' scope, which you do not hold.");
}
