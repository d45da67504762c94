using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.Users;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.TwoFactor.SetupTwoFactor;

/// <summary>
/// Creates a new 160-bit secret and answers it with its <c>otpauth://</c> URI and QR code. 2FA is
/// not on yet. Needs the current password: a stolen access token alone cannot enrol an
/// authenticator (a wrong password counts as a failed attempt). The password is hashed with no
/// transaction open; the pending secret is one SaveChanges.
/// </summary>
public sealed record SetupTwoFactorCommand(Guid UserId, string CurrentPassword) : ICommand<Result<TwoFactorSetupResponse>>, ISavesWithoutAmbientTransaction;

public sealed class SetupTwoFactorValidator : AbstractValidator<SetupTwoFactorCommand>
{
    public SetupTwoFactorValidator() => RuleFor(c => c.CurrentPassword).PresentedPassword();
}

public sealed class SetupTwoFactorHandler(
    CallerAccounts callers, PasswordConfirmation password, ITotp totp, ISecretProtector protector, IQrCodeRenderer qr)
    : ICommandHandler<SetupTwoFactorCommand, Result<TwoFactorSetupResponse>>
{
    public async ValueTask<Result<TwoFactorSetupResponse>> Handle(SetupTwoFactorCommand command, CancellationToken cancellationToken)
    {
        var user = await callers.LoadAsync(command.UserId, cancellationToken);
        if (user.IsFailure)
        {
            return user.Error!;
        }

        if (user.Value.TwoFactorEnabled)
        {
            return Error.Conflict("Two-factor authentication is already on. Disable it first to enrol a new authenticator.");
        }

        if (await password.ConfirmAsync(user.Value, command.CurrentPassword, cancellationToken) is { IsFailure: true } refused)
        {
            return refused;
        }

        var secret = totp.NewSecret();
        user.Value.BeginTwoFactorSetup(protector.Protect(secret));
        var uri = totp.BuildUri(user.Value.Email.Value, secret);
        return new TwoFactorSetupResponse(secret, uri, "data:image/png;base64," + Convert.ToBase64String(qr.Png(uri)));
    }
}
