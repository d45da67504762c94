using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.ApiKeys.CreateApiKey;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.ServiceAccounts.Common;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.ApiKeys;
using AuthPlatform.Domain.Authorization;
using FluentValidation;
using MapsterMapper;
using Mediator;

namespace AuthPlatform.Application.ServiceAccounts.CreateServiceAccountApiKey;

/// <summary>
/// A long-lived API key that acts as the service account (SPEC section 5, same shape as section 3):
/// it authenticates as the account, with at most the account's scopes (and never a scope the
/// caller lacks), and is deleted with the account. Needs step-up when the caller has 2FA on.
/// </summary>
public sealed record CreateServiceAccountApiKeyCommand(
    CallerIdentity Caller, Guid Id, string Name, IReadOnlyList<string> Permissions, DateTimeOffset? ExpiresAt, string? StepUpCode = null)
    : ICommand<Result<ApiKeyCreatedResponse>>;

public sealed class CreateServiceAccountApiKeyValidator : AbstractValidator<CreateServiceAccountApiKeyCommand>
{
    public CreateServiceAccountApiKeyValidator(IScopeCatalog scopes, TimeProvider clock)
    {
        RuleFor(c => c.Name).DisplayText(ApiKey.MaxNameLength);
        RuleFor(c => c.Permissions).NotEmpty().WithMessage("Name at least one permission (scope).")
            .Must(p => p is null || p.Count <= ApiKey.MaxPermissions).WithMessage($"A key holds at most {ApiKey.MaxPermissions} permissions.");
        RuleForEach(c => c.Permissions)
            .Must(p => p is not null && scopes.IsKnown(p)).WithMessage((_, p) => $"'{(p is null ? "null" : p.Length <= 64 ? p : p[..64] + "…")}' is not a known scope.");
        RuleFor(c => c.ExpiresAt)
            .Must(e => e is null || e > clock.GetUtcNow() + CreateApiKeyValidator.MinimumLifetime).WithMessage("expires_at must be at least a minute in the future.");
    }
}

public sealed class CreateServiceAccountApiKeyHandler(
    IServiceAccountRepository accounts,
    IApiKeyRepository keys,
    CallerAccounts callers,
    StepUp stepUp,
    IApiKeyGenerator generator,
    IMapper mapper,
    TimeProvider clock) : ICommandHandler<CreateServiceAccountApiKeyCommand, Result<ApiKeyCreatedResponse>>
{
    public async ValueTask<Result<ApiKeyCreatedResponse>> Handle(CreateServiceAccountApiKeyCommand command, CancellationToken cancellationToken)
    {
        var caller = command.Caller;
        var user = await callers.LoadAsync(caller, cancellationToken);
        var account = await accounts.FindManageableAsync(caller, command.Id, cancellationToken);
        if (user.IsFailure || account.IsFailure)
        {
            return ServiceAccountAccess.NotFound;
        }

        var permissions = ScopeSet.From(command.Permissions);
        if (permissions.FirstMissingFrom(account.Value.Scopes) is { } beyondAccount)
        {
            return new Error(ErrorCodes.InsufficientScope, $"The service account does not hold the '{beyondAccount}' scope, so its key cannot either.");
        }

        if (permissions.FirstMissingFrom(caller.Scopes) is { } beyondCaller)
        {
            return new Error(ErrorCodes.InsufficientScope, $"You do not hold the '{beyondCaller}' scope, so a key you create cannot either.");
        }

        var now = clock.GetUtcNow();
        if (command.ExpiresAt is { } expiry && expiry <= now)
        {
            return Error.Validation("expires_at", "expires_at must be in the future.");
        }

        if (await stepUp.RequireAsync(caller, user.Value, command.StepUpCode, cancellationToken) is { IsFailure: true } refused)
        {
            return refused;
        }

        var secret = generator.Generate();
        var key = ApiKey.IssueForServiceAccount(
            Guid.CreateVersion7(now), account.Value.Id, account.Value.OwnerId, command.Name, secret.Prefix, secret.Hash, permissions, command.ExpiresAt, now);
        keys.Add(key);
        return mapper.Map<ApiKeyCreatedResponse>(key) with { Key = secret.Key };
    }
}
