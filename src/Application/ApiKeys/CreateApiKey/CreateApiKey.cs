using System.Globalization;
using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.ApiKeys;
using AuthPlatform.Domain.Authorization;
using FluentValidation;
using MapsterMapper;
using Mediator;

namespace AuthPlatform.Application.ApiKeys.CreateApiKey;

/// <summary>
/// Issues a key to the calling user with a subset of the caller's own scopes. A caller that
/// authenticated with a key gets a key linked to it that expires no later than it (at its expiry
/// when <see cref="ExpiresAt"/> is null) and is revoked with it.
/// <see cref="StepUpCode"/> is the <c>X-2FA-Code</c> header: proof of the second factor when the caller has 2FA on.
/// </summary>
public sealed record CreateApiKeyCommand(
    CallerIdentity Caller, string Name, IReadOnlyList<string> Permissions, DateTimeOffset? ExpiresAt, string? StepUpCode = null)
    : ICommand<Result<ApiKeyCreatedResponse>>;

public sealed class CreateApiKeyValidator : AbstractValidator<CreateApiKeyCommand>
{
    public static readonly TimeSpan MinimumLifetime = TimeSpan.FromMinutes(1);

    public CreateApiKeyValidator(IScopeCatalog scopes, TimeProvider clock)
    {
        RuleFor(c => c.Name).DisplayText(ApiKey.MaxNameLength);
        RuleFor(c => c.Permissions).NotEmpty().WithMessage("Name at least one permission (scope).")
            .Must(p => p is null || p.Count <= ApiKey.MaxPermissions).WithMessage($"A key holds at most {ApiKey.MaxPermissions} permissions.");
        RuleForEach(c => c.Permissions)
            .Must(p => p is not null && scopes.IsKnown(p)).WithMessage((_, p) => $"'{Shorten(p)}' is not a known scope.");
        RuleFor(c => c.ExpiresAt)
            .Must(e => e is null || e > clock.GetUtcNow() + MinimumLifetime).WithMessage("expires_at must be at least a minute in the future.");
    }

    private static string Shorten(string? value) => value is null ? "null" : value.Length <= 64 ? value : value[..64] + "…";
}

public sealed class CreateApiKeyHandler(
    IApiKeyRepository keys,
    CallerAccounts callers,
    StepUp stepUp,
    IApiKeyGenerator generator,
    IMapper mapper,
    TimeProvider clock) : ICommandHandler<CreateApiKeyCommand, Result<ApiKeyCreatedResponse>>
{
    public async ValueTask<Result<ApiKeyCreatedResponse>> Handle(CreateApiKeyCommand command, CancellationToken cancellationToken)
    {
        var caller = command.Caller;
        var owner = await callers.LoadAsync(caller, cancellationToken);
        if (owner.IsFailure)
        {
            return new Error(ErrorCodes.Forbidden, "Only users own API keys.");
        }

        // Least privilege: never more than the caller holds right now.
        var permissions = ScopeSet.From(command.Permissions);
        if (permissions.FirstMissingFrom(caller.Scopes) is { } missing)
        {
            return new Error(ErrorCodes.InsufficientScope, $"You do not hold the '{missing}' scope, so a key of yours cannot either.");
        }

        var now = clock.GetUtcNow();
        if (command.ExpiresAt is { } expiry && expiry <= now)
        {
            // The validator ran a moment ago; the clock may have passed it since.
            return Error.Validation("expires_at", "expires_at must be in the future.");
        }

        var creator = await CreatingKeyAsync(caller, command.ExpiresAt, now, cancellationToken);
        if (creator.IsFailure)
        {
            return creator.Error!;
        }

        // Step-up last: a code it accepts is spent, so nothing may fail after it but the commit.
        if (await stepUp.RequireAsync(caller, owner.Value, command.StepUpCode, cancellationToken) is { IsFailure: true } refused)
        {
            return refused;
        }

        var secret = generator.Generate();
        var key = ApiKey.Issue(
            Guid.CreateVersion7(now), owner.Value.Id, command.Name, secret.Prefix, secret.Hash, permissions, command.ExpiresAt, now, creator.Value);
        keys.Add(key);
        return mapper.Map<ApiKeyCreatedResponse>(key) with { Key = secret.Key };
    }

    /// <summary>
    /// The key the caller authenticated with (null for any other credential), held until the
    /// commit so that it cannot be revoked between this check and the new key's insert unseen.
    /// </summary>
    private async Task<Result<ApiKey?>> CreatingKeyAsync(CallerIdentity caller, DateTimeOffset? expiresAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (caller.Method != AuthMethods.ApiKey)
        {
            return Result<ApiKey?>.Success(null);
        }

        if (caller.ApiKeyId is not { } creatorId
            || !await keys.HoldIfActiveAsync(creatorId, now, cancellationToken)
            || await keys.FindByIdAsync(creatorId, cancellationToken) is not { } creator)
        {
            return new Error(ErrorCodes.InvalidApiKey, "The API key you called with was revoked, deleted or expired meanwhile.");
        }

        if (!creator.AllowsExpiryOfKeyItCreates(expiresAt))
        {
            return Error.Validation("expires_at", $"A key created with a key cannot expire after it: at the latest {creator.ExpiresAt?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}, or leave expires_at out to get that expiry.");
        }

        return creator;
    }
}
