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
/// Issues a key to the calling user with a subset of the caller's own scopes.
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

        // Step-up last: a code it accepts is spent, so nothing may fail after it but the commit.
        if (await stepUp.RequireAsync(caller, owner.Value, command.StepUpCode, cancellationToken) is { IsFailure: true } refused)
        {
            return refused;
        }

        var secret = generator.Generate();
        var key = ApiKey.Issue(Guid.CreateVersion7(now), owner.Value.Id, command.Name, secret.Prefix, secret.Hash, permissions, command.ExpiresAt, now);
        keys.Add(key);
        return mapper.Map<ApiKeyCreatedResponse>(key) with { Key = secret.Key };
    }
}
