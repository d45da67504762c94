using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Application.OAuth.Device.Common;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.OAuth;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Application.OAuth.Device.RequestDeviceAuthorization;

/// <summary>
/// <c>POST /oauth/device_authorization</c> (RFC 8628 3.1, 3.2): authenticates the client like the
/// token endpoint (<see cref="ClientAuthentication"/>: a confidential client with its secret, a
/// public one by <c>client_id</c>), which must be registered for the device grant, checks the scopes
/// (within the client's; all of them when none is asked) and starts a
/// <see cref="DeviceAuthorization"/>: a high-entropy device code for the device and a short user
/// code for the person, both stored as SHA-256 hashes.
/// </summary>
public sealed record RequestDeviceAuthorizationCommand(ClientCredentialsInput Client, string? Scope)
    : ICommand<Result<DeviceAuthorizationResponse>>;

/// <summary>The device authorization response (RFC 8628 3.2).</summary>
public sealed record DeviceAuthorizationResponse(
    string DeviceCode, string UserCode, string VerificationUri, string VerificationUriComplete, int ExpiresIn, int Interval);

public sealed class RequestDeviceAuthorizationValidator : AbstractValidator<RequestDeviceAuthorizationCommand>
{
    public const int MaxScopeLength = 4096;

    public RequestDeviceAuthorizationValidator() =>
        RuleFor(c => c.Scope).MaximumLength(MaxScopeLength).WithMessage($"scope is at most {MaxScopeLength} characters.");
}

public sealed class RequestDeviceAuthorizationHandler(
    ClientAuthentication clientAuthentication,
    IDeviceAuthorizationRepository authorizations,
    ISecretGenerator secrets,
    IDomainEvents events,
    IOptions<OAuthOptions> options,
    IOptions<JwtOptions> jwt,
    TimeProvider clock) : ICommandHandler<RequestDeviceAuthorizationCommand, Result<DeviceAuthorizationResponse>>
{
    public const string VerificationPath = "/oauth/device";

    public async ValueTask<Result<DeviceAuthorizationResponse>> Handle(RequestDeviceAuthorizationCommand command, CancellationToken cancellationToken)
    {
        var authenticated = await clientAuthentication.AuthenticateAsync(command.Client, cancellationToken);
        if (authenticated.IsFailure)
        {
            return authenticated.WithoutValue();
        }

        var client = authenticated.Value;
        if (!client.Allows(GrantTypes.DeviceCode))
        {
            return Refuse(client, OAuthErrors.UnauthorizedClient($"This client is not registered for the {GrantTypes.DeviceCode} grant."));
        }

        var scopes = client.Scopes;
        if (!string.IsNullOrWhiteSpace(command.Scope))
        {
            if (!ScopeSet.TryParse(command.Scope, out var requested))
            {
                return Refuse(client, OAuthErrors.InvalidScope("scope is a space-separated list of scope names."));
            }

            if (requested.FirstMissingFrom(client.Scopes) is { } missing)
            {
                return Refuse(client, OAuthErrors.InvalidScope($"This client is not registered for the scope '{(missing.Length <= 64 ? missing : missing[..64])}'."));
            }

            scopes = requested;
        }

        var now = clock.GetUtcNow();
        var userCode = await NewUserCodeAsync(cancellationToken);
        var deviceCode = secrets.NewSecret();
        var settings = options.Value;
        authorizations.Add(DeviceAuthorization.Request(
            Guid.CreateVersion7(now), secrets.Hash(deviceCode), secrets.Hash(userCode), client.ClientId, scopes,
            settings.DeviceCodeLifetime, settings.DevicePollingInterval, now));

        var verificationUri = jwt.Value.Issuer.TrimEnd('/') + VerificationPath;
        var shown = UserCodes.Format(userCode);
        return new DeviceAuthorizationResponse(
            deviceCode, shown, verificationUri, verificationUri + "?user_code=" + Uri.EscapeDataString(shown),
            (int)settings.DeviceCodeLifetime.TotalSeconds, (int)settings.DevicePollingInterval.TotalSeconds);
    }

    /// <summary>A user code no other device authorization holds (a clash is rare: 20^8 codes).</summary>
    private async Task<string> NewUserCodeAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var code = secrets.NewCode(UserCodes.Alphabet, UserCodes.Length);
            if (attempt >= 4 || !await authorizations.UserCodeTakenAsync(secrets.Hash(code), cancellationToken))
            {
                return code;
            }
        }
    }

    private Result<DeviceAuthorizationResponse> Refuse(ClientRegistration client, Error error)
    {
        events.Raise(new TokenRequestRefused(client.ClientId, client.OwnerId, GrantTypes.DeviceCode, error.Code));
        return Result<DeviceAuthorizationResponse>.Refused(error);
    }
}
