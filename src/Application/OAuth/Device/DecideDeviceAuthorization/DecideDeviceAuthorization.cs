using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.OAuth.Authorize.Common;
using AuthPlatform.Application.OAuth.Authorize.IssueAuthorizationCode;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Application.OAuth.Device.Common;
using AuthPlatform.Domain.OAuth;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.OAuth.Device.DecideDeviceAuthorization;

/// <summary>
/// The verification page's answer (RFC 8628 3.3): a signed-in person approves or denies the device
/// authorization of a user code. Approving records (or widens) their consent for the client, as the
/// code flow does (<see cref="UserGrant"/>, audited), and binds the person's sign-in (<c>auth_time</c>,
/// <c>amr</c>) to the tokens the device will receive. A code is decided once; of two parallel
/// decisions only one is saved.
/// </summary>
public sealed record DecideDeviceAuthorizationCommand(string UserCode, BrowserSignIn SignIn, bool Approve)
    : ICommand<Result<DeviceDecision>>;

public enum DeviceDecision
{
    Approved,
    Denied,

    /// <summary>The sign-in no longer holds: sign the browser out and show the login page.</summary>
    LoginRequired,
}

public sealed class DecideDeviceAuthorizationValidator : AbstractValidator<DecideDeviceAuthorizationCommand>
{
    public DecideDeviceAuthorizationValidator() =>
        RuleFor(c => c.UserCode).NotEmpty().WithMessage("Enter the code your device shows.").MaximumLength(32).WithMessage("This is not a code.");
}

public sealed class DecideDeviceAuthorizationHandler(
    BrowserSignInCheck signIns,
    UserCodeLookup lookup,
    IUserGrantRepository grants,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : ICommandHandler<DecideDeviceAuthorizationCommand, Result<DeviceDecision>>
{
    public async ValueTask<Result<DeviceDecision>> Handle(DecideDeviceAuthorizationCommand command, CancellationToken cancellationToken)
    {
        var signIn = command.SignIn;
        var now = clock.GetUtcNow();
        if (!await signIns.HoldsAsync(signIn, now, cancellationToken))
        {
            return DeviceDecision.LoginRequired;
        }

        var found = await lookup.FindPendingAsync(command.UserCode, signIn.UserId, cancellationToken);
        if (found.IsFailure)
        {
            return found.WithoutValue();
        }

        var authorization = found.Value!;
        var outcome = command.Approve
            ? authorization.Approve(signIn.UserId, BrowserSignInCheck.AuthTime(signIn, now), signIn.AuthenticationMethods, now)
            : authorization.Deny(signIn.UserId, now);
        if (outcome != DeviceDecisionOutcome.Recorded)
        {
            return UserCodeLookup.Unknown;
        }

        if (command.Approve)
        {
            var grant = await grants.FindAsync(signIn.UserId, authorization.ClientId, cancellationToken);
            if (grant is null)
            {
                grants.Add(UserGrant.Grant(Guid.CreateVersion7(now), signIn.UserId, authorization.ClientId, authorization.Scopes, now));
            }
            else
            {
                grant.Extend(authorization.Scopes, now);
            }
        }

        try
        {
            // The decision's compare-and-swap: another decision on the same code may have been saved first.
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            unitOfWork.DiscardChanges();
            return UserCodeLookup.Unknown;
        }
        catch (DuplicateKeyException)
        {
            // The person's first consent for this client was recorded at the same moment by another approval.
            unitOfWork.DiscardChanges();
            return new Error(ErrorCodes.Conflict, "Another approval for this application was saved at the same moment: press Allow again.");
        }

        return command.Approve ? DeviceDecision.Approved : DeviceDecision.Denied;
    }
}
