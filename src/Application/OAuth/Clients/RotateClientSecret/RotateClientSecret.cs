using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.OAuth.Clients.Common;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.OAuth;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.OAuth.Clients.RotateClientSecret;

/// <summary>
/// Gives a confidential client a new secret, answered once. The earlier secrets stop at once, or
/// after <see cref="PreviousSecretExpiresInSeconds"/> (at most 7 days) so that a deployment can
/// switch without downtime. <see cref="StepUpCode"/> is the <c>X-2FA-Code</c> header.
/// </summary>
public sealed record RotateClientSecretCommand(CallerIdentity Caller, Guid Id, int PreviousSecretExpiresInSeconds = 0, string? StepUpCode = null)
    : ICommand<Result<ClientSecretRotatedResponse>>;

public sealed class RotateClientSecretValidator : AbstractValidator<RotateClientSecretCommand>
{
    public RotateClientSecretValidator() =>
        RuleFor(c => c.PreviousSecretExpiresInSeconds).InclusiveBetween(0, (int)OAuthClient.MaxSecretGracePeriod.TotalSeconds)
            .WithMessage($"Between 0 (the earlier secrets stop at once) and {(int)OAuthClient.MaxSecretGracePeriod.TotalSeconds} seconds (7 days).");
}

public sealed class RotateClientSecretHandler(
    IOAuthClientRepository clients,
    CallerAccounts callers,
    StepUp stepUp,
    ISecretGenerator secrets,
    TimeProvider clock) : ICommandHandler<RotateClientSecretCommand, Result<ClientSecretRotatedResponse>>
{
    public async ValueTask<Result<ClientSecretRotatedResponse>> Handle(RotateClientSecretCommand command, CancellationToken cancellationToken)
    {
        var caller = command.Caller;
        var actor = await callers.LoadAsync(caller, cancellationToken);
        if (actor.IsFailure)
        {
            return CallerAccounts.NotAUser;
        }

        var client = await clients.FindChangeableAsync(caller, command.Id, cancellationToken);
        if (client.IsFailure)
        {
            return client.Error!;
        }

        if (client.Value.Type != OAuthClientType.Confidential)
        {
            return Error.Conflict("A public client has no secret: it proves itself with PKCE instead.");
        }

        // Least privilege, as at registration: a new secret may not carry a scope the caller lacks.
        if (ClientAccess.ScopeBeyondCaller(caller, client.Value.Scopes) is { } wider)
        {
            return wider;
        }

        // Step-up last: a code it accepts is spent, so nothing may fail after it but the commit.
        if (await stepUp.RequireAsync(caller, actor.Value, command.StepUpCode, cancellationToken) is { IsFailure: true } refused)
        {
            return refused;
        }

        var now = clock.GetUtcNow();
        var secret = secrets.NewSecret(32);
        var added = client.Value.RotateSecret(
            Guid.CreateVersion7(now), secrets.Hash(secret), TimeSpan.FromSeconds(command.PreviousSecretExpiresInSeconds), actor.Value.Id, now);
        return new ClientSecretRotatedResponse(
            client.Value.ClientId, added.Id, secret, added.CreatedAt, now + TimeSpan.FromSeconds(command.PreviousSecretExpiresInSeconds));
    }
}
