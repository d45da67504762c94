using AuthPlatform.Application.Common.Ports;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.TwoFactor;
using AuthPlatform.Domain.ApiKeys;
using AuthPlatform.Domain.Audit;
using Mediator;

namespace AuthPlatform.Application.ApiKeys;

/// <summary>Whose keys a call may touch: one owner's, or (for an administrator) everyone's.</summary>
public sealed record KeyScope(Guid ActorId, bool AnyOwner, IReadOnlyList<string>? CallerScopes = null)
{
    public static KeyScope Own(Guid userId) => new(userId, false);

    /// <summary>The caller's own keys, and only those whose every permission the caller holds.</summary>
    public static KeyScope Own(Guid userId, IReadOnlyList<string> callerScopes) => new(userId, false, callerScopes);

    public static KeyScope Administrator(Guid adminId) => new(adminId, true);

    public bool Covers(ApiKey key) => AnyOwner || key.OwnerId == ActorId;

    /// <summary>Least privilege for changes: a narrow key may not revoke or delete a wider one.</summary>
    public string? MissingScopeFor(ApiKey key) =>
        AnyOwner || CallerScopes is null ? null : key.PermissionList.FirstOrDefault(p => !CallerScopes.Contains(p));
}

/// <summary>The caller's keys (or, for an administrator, anyone's / one user's).</summary>
public sealed record ListApiKeysQuery(Guid? OwnerId) : IQuery<Result<IReadOnlyList<ApiKeyResponse>>>;

public sealed class ListApiKeysHandler(IApiKeyReader reader) : IQueryHandler<ListApiKeysQuery, Result<IReadOnlyList<ApiKeyResponse>>>
{
    public async ValueTask<Result<IReadOnlyList<ApiKeyResponse>>> Handle(ListApiKeysQuery query, CancellationToken cancellationToken) =>
        Result<IReadOnlyList<ApiKeyResponse>>.Success(await reader.ListAsync(query.OwnerId, cancellationToken));
}

public sealed record GetApiKeyQuery(KeyScope Scope, Guid Id) : IQuery<Result<ApiKeyResponse>>;

public sealed class GetApiKeyHandler(IApiKeyRepository keys) : IQueryHandler<GetApiKeyQuery, Result<ApiKeyResponse>>
{
    public async ValueTask<Result<ApiKeyResponse>> Handle(GetApiKeyQuery query, CancellationToken cancellationToken)
    {
        var key = await keys.FindByIdAsync(query.Id, cancellationToken);
        return key is not null && query.Scope.Covers(key) ? ApiKeyResponse.From(key) : ApiKeyErrors.NotFound;
    }
}

/// <summary>Stops a key at once (this instance's cache is evicted when the change commits).</summary>
public sealed record RevokeApiKeyCommand(KeyScope Scope, Guid Id) : ICommand<Result<ApiKeyResponse>>;

public sealed class RevokeApiKeyHandler(IApiKeyRepository keys, IApiKeyCache cache, IAfterCommit afterCommit, IAuditLog audit, TimeProvider clock)
    : ICommandHandler<RevokeApiKeyCommand, Result<ApiKeyResponse>>
{
    public async ValueTask<Result<ApiKeyResponse>> Handle(RevokeApiKeyCommand command, CancellationToken cancellationToken)
    {
        var (key, refusal) = await ApiKeyErrors.FindChangeableAsync(keys, command.Scope, command.Id, cancellationToken);
        if (key is null)
        {
            return refusal!;
        }

        if (key.RevokedAt is null)
        {
            key.Revoke(clock.GetUtcNow());
            audit.Record(AuditEventTypes.ApiKeyRevoked, key.OwnerId, $"api_key={key.Id} prefix={key.KeyPrefix}", command.Scope.ActorId);
        }

        afterCommit.Enqueue(_ => { cache.Evict(key.KeyHash); return Task.CompletedTask; });
        return ApiKeyResponse.From(key);
    }
}

/// <summary>Replaces a key with a new secret, same name and permissions; the old one stops at once.</summary>
public sealed record RotateApiKeyCommand(CallerIdentity Caller, Guid Id) : ICommand<Result<ApiKeyCreatedResponse>>;

public sealed class RotateApiKeyHandler(
    IApiKeyRepository keys,
    IUserRepository users,
    StepUp stepUp,
    IApiKeyGenerator generator,
    IApiKeyCache cache,
    IAfterCommit afterCommit,
    IAuditLog audit,
    TimeProvider clock)
    : ICommandHandler<RotateApiKeyCommand, Result<ApiKeyCreatedResponse>>
{
    public async ValueTask<Result<ApiKeyCreatedResponse>> Handle(RotateApiKeyCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var owner = command.Caller.UserId is { } userId ? await users.FindByIdAsync(userId, cancellationToken) : null;
        var key = await keys.FindByIdAsync(command.Id, cancellationToken);
        if (owner is null || key is null || key.OwnerId != owner.Id)
        {
            return ApiKeyErrors.NotFound;
        }

        // Least privilege, as at creation: the new secret may not carry a scope the caller lacks.
        var missing = key.PermissionList.FirstOrDefault(p => !command.Caller.Scopes.Contains(p));
        if (missing is not null)
        {
            return new Error(ErrorCodes.InsufficientScope, $"You do not hold the '{missing}' scope this key carries, so you cannot rotate it.");
        }

        if (!key.IsActive(now))
        {
            return Error.Conflict("A revoked or expired key cannot be rotated: create a new one.");
        }

        // Step-up last: a code it accepts is spent, so nothing may fail after it but the commit.
        if (await stepUp.RequireAsync(command.Caller, owner, cancellationToken) is { } refusal)
        {
            return refusal.KeepChanges ? Result<ApiKeyCreatedResponse>.Refused(refusal.Error) : refusal.Error;
        }

        var secret = generator.Generate();
        var successor = key.Rotate(Guid.CreateVersion7(now), secret.Prefix, secret.Hash, now);
        keys.Add(successor);
        afterCommit.Enqueue(_ => { cache.Evict(key.KeyHash); return Task.CompletedTask; });
        audit.Record(AuditEventTypes.ApiKeyRotated, key.OwnerId, $"api_key={key.Id} successor={successor.Id} prefix={successor.KeyPrefix}");
        return ApiKeyCreatedResponse.From(successor, secret.Key);
    }
}

public sealed record DeleteApiKeyCommand(KeyScope Scope, Guid Id) : ICommand<Result<Done>>;

public sealed class DeleteApiKeyHandler(IApiKeyRepository keys, IApiKeyCache cache, IAfterCommit afterCommit, IAuditLog audit)
    : ICommandHandler<DeleteApiKeyCommand, Result<Done>>
{
    public async ValueTask<Result<Done>> Handle(DeleteApiKeyCommand command, CancellationToken cancellationToken)
    {
        var (key, refusal) = await ApiKeyErrors.FindChangeableAsync(keys, command.Scope, command.Id, cancellationToken);
        if (key is null)
        {
            return refusal!;
        }

        keys.Remove(key);
        afterCommit.Enqueue(_ => { cache.Evict(key.KeyHash); return Task.CompletedTask; });
        audit.Record(AuditEventTypes.ApiKeyDeleted, key.OwnerId, $"api_key={key.Id} prefix={key.KeyPrefix}", command.Scope.ActorId);
        return Done.Value;
    }
}

internal static class ApiKeyErrors
{
    public static readonly Error NotFound = Error.NotFound("The API key");

    /// <summary>The key a revoke or delete may change: found, the caller's (or any, for an admin), not wider than the caller.</summary>
    public static async Task<(ApiKey? Key, Error? Refusal)> FindChangeableAsync(
        IApiKeyRepository keys, KeyScope scope, Guid id, CancellationToken cancellationToken)
    {
        var key = await keys.FindByIdAsync(id, cancellationToken);
        if (key is null || !scope.Covers(key))
        {
            return (null, NotFound);
        }

        return scope.MissingScopeFor(key) is { } missing ? (null, Wider(missing)) : (key, null);
    }

    public static Error Wider(string scope) =>
        new(ErrorCodes.InsufficientScope, $"This key carries the '{scope}' scope, which you do not hold.");
}
