using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.Users;
using MapsterMapper;
using Mediator;

namespace AuthPlatform.Application.ApiKeys.RotateApiKey;

/// <summary>
/// Replaces a key with a new secret, same name, permissions, expiry and creator; the old one
/// stops at once, and so does every key created with it (transitively). A caller that
/// authenticated with a key may rotate only that key and the keys created with it: otherwise a
/// short-lived key could turn any other key of its owner into a new secret that outlives it.
/// <see cref="StepUpCode"/> is the <c>X-2FA-Code</c> header.
/// </summary>
public sealed record RotateApiKeyCommand(CallerIdentity Caller, Guid Id, string? StepUpCode = null) : ICommand<Result<ApiKeyCreatedResponse>>;

public sealed class RotateApiKeyHandler(
    IApiKeyRepository keys,
    ApiKeyLineage lineage,
    CallerAccounts callers,
    StepUp stepUp,
    IApiKeyGenerator generator,
    IMapper mapper,
    TimeProvider clock)
    : ICommandHandler<RotateApiKeyCommand, Result<ApiKeyCreatedResponse>>
{
    public async ValueTask<Result<ApiKeyCreatedResponse>> Handle(RotateApiKeyCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var owner = await callers.LoadAsync(command.Caller, cancellationToken);
        var key = await keys.FindByIdAsync(command.Id, cancellationToken);
        if (owner.IsFailure || key is null || key.OwnerId != owner.Value.Id)
        {
            return ApiKeyAccess.NotFound;
        }

        // Least privilege, as at creation: the new secret may not carry a scope the caller lacks.
        if (key.Permissions.FirstMissingFrom(command.Caller.Scopes) is { } missing)
        {
            return new Error(ErrorCodes.InsufficientScope, $"You do not hold the '{missing}' scope this key carries, so you cannot rotate it.");
        }

        if (!key.IsActive(now))
        {
            return Error.Conflict("A revoked or expired key cannot be rotated: create a new one.");
        }

        if (command.Caller.Method == AuthMethods.ApiKey
            && (command.Caller.ApiKeyId is not { } callingKey || !await lineage.IsSelfOrCreatedWithAsync(key, callingKey, cancellationToken)))
        {
            return new Error(ErrorCodes.Forbidden, "A key can rotate only itself and the keys created with it.");
        }

        // Step-up last: a code it accepts is spent, so nothing may fail after it but the commit.
        if (await stepUp.RequireAsync(command.Caller, owner.Value, command.StepUpCode, cancellationToken) is { IsFailure: true } refused)
        {
            return refused;
        }

        var secret = generator.Generate();
        var successor = key.Rotate(Guid.CreateVersion7(now), secret.Prefix, secret.Hash, now);
        keys.Add(successor);
        await lineage.RevokeDescendantsAsync(key, now, owner.Value.Id, cancellationToken);
        return mapper.Map<ApiKeyCreatedResponse>(successor) with { Key = secret.Key };
    }
}
