using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.OAuth.Authorize.Common;
using AuthPlatform.Application.OAuth.Authorize.IssueAuthorizationCode;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Application.OAuth.Device.Common;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.OAuth.Device.CheckUserCode;

/// <summary>
/// The verification page's first step (RFC 8628 3.3): a signed-in person entered a user code; when
/// it names a pending device authorization, the page asks them to approve or deny it, naming the
/// application and the scopes in words. Wrong codes are throttled and audited
/// (<see cref="UserCodeLookup"/>); a sign-in that no longer holds asks for a new login.
/// </summary>
public sealed record CheckUserCodeCommand(string UserCode, BrowserSignIn SignIn) : ICommand<Result<DeviceVerificationPrompt>>;

/// <summary>What the person is asked to approve; <see cref="LoginRequired"/> when their sign-in ended.</summary>
public sealed record DeviceVerificationPrompt(bool LoginRequired, string UserCode, string ClientName, IReadOnlyList<ScopeDescription> Scopes)
{
    public static DeviceVerificationPrompt SignInEnded { get; } = new(true, string.Empty, string.Empty, []);
}

public sealed class CheckUserCodeValidator : AbstractValidator<CheckUserCodeCommand>
{
    public CheckUserCodeValidator() =>
        RuleFor(c => c.UserCode).NotEmpty().WithMessage("Enter the code your device shows.").MaximumLength(32).WithMessage("This is not a code.");
}

public sealed class CheckUserCodeHandler(BrowserSignInCheck signIns, UserCodeLookup lookup, IOAuthClientRepository clients, TimeProvider clock)
    : ICommandHandler<CheckUserCodeCommand, Result<DeviceVerificationPrompt>>
{
    public async ValueTask<Result<DeviceVerificationPrompt>> Handle(CheckUserCodeCommand command, CancellationToken cancellationToken)
    {
        if (!await signIns.HoldsAsync(command.SignIn, clock.GetUtcNow(), cancellationToken))
        {
            return DeviceVerificationPrompt.SignInEnded;
        }

        var found = await lookup.FindPendingAsync(command.UserCode, command.SignIn.UserId, cancellationToken);
        if (found.IsFailure)
        {
            return found.WithoutValue();
        }

        var authorization = found.Value!;
        var client = await clients.FindByClientIdAsync(authorization.ClientId, cancellationToken);
        if (client is null)
        {
            return Result<DeviceVerificationPrompt>.Failure(UserCodeLookup.Unknown);
        }

        return new DeviceVerificationPrompt(
            false, UserCodes.Format(UserCodes.Normalize(command.UserCode)!), client.Name, ScopeDescriptions.Describe(authorization.Scopes));
    }
}
