using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.ServiceAccounts.Common;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.ServiceAccounts;
using FluentValidation;
using MapsterMapper;
using Mediator;

namespace AuthPlatform.Application.ServiceAccounts.CreateServiceAccount;

/// <summary>
/// Creates a service account owned by the caller, with a subset of the caller's own scopes and one
/// secret, answered once. <see cref="SecretExpiresAt"/> optionally limits that first secret.
/// <see cref="StepUpCode"/> is the <c>X-2FA-Code</c> header: proof of the second factor when the caller has 2FA on.
/// </summary>
public sealed record CreateServiceAccountCommand(
    CallerIdentity Caller, string Name, string? Description, IReadOnlyList<string> Scopes, DateTimeOffset? SecretExpiresAt, string? StepUpCode = null)
    : ICommand<Result<ServiceAccountCreatedResponse>>;

public sealed class CreateServiceAccountValidator : AbstractValidator<CreateServiceAccountCommand>
{
    public CreateServiceAccountValidator(IScopeCatalog scopes, TimeProvider clock)
    {
        RuleFor(c => c.Name).DisplayText(ServiceAccount.MaxNameLength);
        RuleFor(c => c.Description!).MaximumLength(ServiceAccount.MaxDescriptionLength)
            .WithMessage($"This field must be at most {ServiceAccount.MaxDescriptionLength} characters long.")
            .Must(d => !d.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t')).WithMessage("Control characters are not allowed.")
            .When(c => c.Description is not null);
        RuleFor(c => c.Scopes).NotEmpty().WithMessage("Name at least one scope.")
            .Must(s => s is null || s.Count <= ServiceAccount.MaxScopes).WithMessage($"A service account holds at most {ServiceAccount.MaxScopes} scopes.");
        RuleForEach(c => c.Scopes)
            .Must(s => s is not null && scopes.IsKnown(s)).WithMessage((_, s) => $"'{Shorten(s)}' is not a known scope.");
        RuleFor(c => c.SecretExpiresAt)
            .Must(e => e is null || e > clock.GetUtcNow() + TimeSpan.FromMinutes(1)).WithMessage("secret_expires_at must be at least a minute in the future.");
    }

    internal static string Shorten(string? value) => value is null ? "null" : value.Length <= 64 ? value : value[..64] + "…";
}

public sealed class CreateServiceAccountHandler(
    IServiceAccountRepository accounts,
    CallerAccounts callers,
    StepUp stepUp,
    ISecretGenerator generator,
    IMapper mapper,
    TimeProvider clock) : ICommandHandler<CreateServiceAccountCommand, Result<ServiceAccountCreatedResponse>>
{
    public async ValueTask<Result<ServiceAccountCreatedResponse>> Handle(CreateServiceAccountCommand command, CancellationToken cancellationToken)
    {
        var caller = command.Caller;
        var owner = await callers.LoadAsync(caller, cancellationToken);
        if (owner.IsFailure)
        {
            return new Error(ErrorCodes.Forbidden, "Only users own service accounts.");
        }

        // Least privilege: never more than the caller holds right now.
        var scopes = ScopeSet.From(command.Scopes);
        if (scopes.FirstMissingFrom(caller.Scopes) is { } missing)
        {
            return new Error(ErrorCodes.InsufficientScope, $"You do not hold the '{missing}' scope, so a service account of yours cannot either.");
        }

        var now = clock.GetUtcNow();
        if (command.SecretExpiresAt is { } expiry && expiry <= now)
        {
            return Error.Validation("secret_expires_at", "secret_expires_at must be in the future.");
        }

        // Step-up last: a code it accepts is spent, so nothing may fail after it but the commit.
        if (await stepUp.RequireAsync(caller, owner.Value, command.StepUpCode, cancellationToken) is { IsFailure: true } refused)
        {
            return refused;
        }

        var secret = ClientSecrets.NewSecret(generator);
        var account = ServiceAccount.Create(
            Guid.CreateVersion7(now), owner.Value.Id, command.Name, command.Description, ClientSecrets.NewServiceAccountClientId(generator),
            scopes, Guid.CreateVersion7(now), secret.Hash, command.SecretExpiresAt, now);
        accounts.Add(account);
        return mapper.Map<ServiceAccountCreatedResponse>(account) with { ClientSecret = secret.Secret };
    }
}
