using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.ServiceAccounts.Common;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.ServiceAccounts;
using FluentValidation;
using MapsterMapper;
using Mediator;

namespace AuthPlatform.Application.ServiceAccounts.AddServiceAccountSecret;

/// <summary>
/// Adds a client secret (answered once); the other secrets stay valid until deleted or expired, so
/// a secret can be rotated without downtime. Needs step-up when the caller has 2FA on, and every
/// scope of the account (least privilege, as at creation).
/// </summary>
public sealed record AddServiceAccountSecretCommand(CallerIdentity Caller, Guid Id, DateTimeOffset? ExpiresAt, string? StepUpCode = null)
    : ICommand<Result<ClientSecretCreatedResponse>>;

public sealed class AddServiceAccountSecretValidator : AbstractValidator<AddServiceAccountSecretCommand>
{
    public AddServiceAccountSecretValidator(TimeProvider clock) =>
        RuleFor(c => c.ExpiresAt)
            .Must(e => e is null || e > clock.GetUtcNow() + TimeSpan.FromMinutes(1)).WithMessage("expires_at must be at least a minute in the future.");
}

public sealed class AddServiceAccountSecretHandler(
    IServiceAccountRepository accounts,
    CallerAccounts callers,
    StepUp stepUp,
    ISecretGenerator generator,
    IMapper mapper,
    TimeProvider clock) : ICommandHandler<AddServiceAccountSecretCommand, Result<ClientSecretCreatedResponse>>
{
    public async ValueTask<Result<ClientSecretCreatedResponse>> Handle(AddServiceAccountSecretCommand command, CancellationToken cancellationToken)
    {
        var caller = command.Caller;
        var user = await callers.LoadAsync(caller, cancellationToken);
        var account = await accounts.FindManageableAsync(caller, command.Id, cancellationToken);
        if (user.IsFailure || account.IsFailure)
        {
            return ServiceAccountAccess.NotFound;
        }

        // A secret is the power to mint tokens with every scope of the account: a caller that
        // could not have created the account with them (a narrow key) may not add one either.
        if (account.Value.Scopes.FirstMissingFrom(caller.Scopes) is { } missing)
        {
            return new Error(ErrorCodes.InsufficientScope, $"You do not hold the '{missing}' scope of this service account, so you cannot add a secret to it.");
        }

        if (!account.Value.CanAddSecret)
        {
            return Error.Conflict($"A service account has at most {ServiceAccount.MaxSecrets} secrets: delete one first.");
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

        var secret = ClientSecrets.NewSecret(generator);
        var added = account.Value.AddSecret(Guid.CreateVersion7(now), secret.Hash, command.ExpiresAt, now, caller.UserId!.Value);
        return mapper.Map<ClientSecretCreatedResponse>(added) with { ClientSecret = secret.Secret };
    }
}
