// Longer than 150 lines because the device code's answers while it waits (pending, slow_down, expired, denied), its single redemption with its race, and the issuance it guards are one decision.
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Diagnostics;
using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Application.OAuth.Device.Common;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.OAuth.Token.RedeemDeviceCode;

/// <summary>
/// <c>grant_type=urn:ietf:params:oauth:grant-type:device_code</c> at the token endpoint (RFC 8628
/// 3.4, 3.5): authenticates the client (<see cref="ClientAuthentication"/>), then polls the device
/// authorization of the device code: <c>authorization_pending</c> while no one decided,
/// <c>slow_down</c> (and 5 more seconds of interval) when polled sooner than the interval,
/// <c>access_denied</c>, <c>expired_token</c>, and once approved the tokens, once: access token,
/// a refresh token in a family bound to the client when it may refresh, an id_token for <c>openid</c>.
/// </summary>
public sealed record RedeemDeviceCodeCommand(ClientCredentialsInput Client, string DeviceCode) : ICommand<Result<TokenResponse>>;

public sealed class RedeemDeviceCodeValidator : AbstractValidator<RedeemDeviceCodeCommand>
{
    public RedeemDeviceCodeValidator() =>
        RuleFor(c => c.DeviceCode).MaximumLength(512).WithMessage("This is not a device_code.");
}

public sealed class RedeemDeviceCodeHandler(
    ClientAuthentication clientAuthentication,
    IDeviceAuthorizationRepository authorizations,
    IUserRepository users,
    ISecretGenerator secrets,
    UserGrantTokens grants,
    IUnitOfWork unitOfWork,
    IDomainEvents events,
    TimeProvider clock) : ICommandHandler<RedeemDeviceCodeCommand, Result<TokenResponse>>
{
    internal static readonly Error Unknown = OAuthProtocolErrors.Grant("The device code is invalid or was issued to another client.");
    internal static readonly Error Used = OAuthProtocolErrors.Grant("The device code was already used.");
    internal static readonly Error Unavailable = OAuthProtocolErrors.Grant("The user who approved this device no longer exists or is disabled.");
    internal static readonly Error Pending = new(OAuthErrorCodes.AuthorizationPending, "The user has not yet approved this device: poll again after the interval.");
    internal static readonly Error SlowDown = new(OAuthErrorCodes.SlowDown, "Polled too often: wait 5 seconds more between polls from now on.");
    internal static readonly Error Expired = new(OAuthErrorCodes.ExpiredToken, "The device code expired: start a new device authorization.");
    internal static readonly Error Denied = new(OAuthErrorCodes.AccessDenied, "The user denied this device's request.");

    public async ValueTask<Result<TokenResponse>> Handle(RedeemDeviceCodeCommand command, CancellationToken cancellationToken)
    {
        var authenticated = await clientAuthentication.AuthenticateAsync(command.Client, cancellationToken);
        if (authenticated.IsFailure)
        {
            return authenticated.WithoutValue();
        }

        var client = authenticated.Value;
        if (!client.Allows(GrantTypes.DeviceCode))
        {
            events.Raise(new TokenRequestRefused(client.ClientId, client.OwnerId, GrantTypes.DeviceCode, OAuthErrorCodes.UnauthorizedClient));
            return Result<TokenResponse>.Refused(OAuthErrors.UnauthorizedClient($"This client is not registered for the {GrantTypes.DeviceCode} grant."));
        }

        if (string.IsNullOrEmpty(command.DeviceCode))
        {
            return OAuthErrors.InvalidRequest("device_code is required.");
        }

        var deviceCodeHash = secrets.Hash(command.DeviceCode);
        var authorization = await authorizations.FindByDeviceCodeHashAsync(deviceCodeHash, cancellationToken);
        if (authorization is null || !string.Equals(authorization.ClientId, client.ClientId, StringComparison.Ordinal))
        {
            // Another client's device code changes nothing (nor its polling state).
            return Unknown;
        }

        var now = clock.GetUtcNow();
        var outcome = authorization.Poll(now);
        switch (outcome)
        {
            case DevicePollOutcome.AuthorizationPending or DevicePollOutcome.SlowDown:
                return await RememberPollAsync(outcome, cancellationToken);
            case DevicePollOutcome.Expired:
                return Expired;
            case DevicePollOutcome.Denied:
                return Denied;
            case DevicePollOutcome.AlreadyRedeemed:
                return Replayed(client, authorization);
        }

        var user = await users.FindByIdAsync(authorization.UserId!.Value, cancellationToken);
        if (user is null || user.IsDisabled)
        {
            unitOfWork.DiscardChanges();
            return Unavailable;
        }

        var scopes = grants.Holdable(authorization.Scopes, user);
        var authTime = authorization.AuthTime!.Value;
        var methods = authorization.AuthenticationMethodList;
        var (refreshToken, family) = grants.StartFamily(client, user, scopes, methods, now, authTime);
        authorization.RecordIssued(family?.Id);
        try
        {
            // Single use: the authorization's version must still be the one read; a parallel
            // redemption that saved first makes this one a replay.
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            unitOfWork.DiscardChanges();
            var again = await authorizations.FindByDeviceCodeHashAsync(deviceCodeHash, cancellationToken);
            return again is not null && again.Poll(now) == DevicePollOutcome.AlreadyRedeemed ? Replayed(client, again) : Unknown;
        }

        return await grants.IssueAsync(
            new UserTokenGrant(client, user, family?.Id ?? authorization.Id, scopes, methods, authTime, null, GrantTypes.DeviceCode, refreshToken, now),
            cancellationToken);
    }

    /// <summary>A pending poll is remembered (its time, a longer interval after <c>slow_down</c>); two polls at once: the one saved second is too soon.</summary>
    private async Task<Result<TokenResponse>> RememberPollAsync(DevicePollOutcome outcome, CancellationToken cancellationToken)
    {
        try
        {
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            unitOfWork.DiscardChanges();
            return SlowDown;
        }

        return Result<TokenResponse>.Refused(outcome == DevicePollOutcome.SlowDown ? SlowDown : Pending);
    }

    private Result<TokenResponse> Replayed(ClientRegistration client, DeviceAuthorization authorization)
    {
        events.Raise(new TokenRequestRefused(client.ClientId, authorization.UserId, GrantTypes.DeviceCode, OAuthErrorCodes.InvalidGrant));
        return Result<TokenResponse>.Refused(Used);
    }

    /// <summary>The granted scopes the user still holds: identity scopes, and API scopes their role grants today.</summary>
}
