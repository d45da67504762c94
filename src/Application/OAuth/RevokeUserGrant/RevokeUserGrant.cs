using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Domain.Sessions;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.OAuth.RevokeUserGrant;

/// <summary>
/// <c>DELETE /api/v1/auth/grants/{client_id}</c>: the caller withdraws an app's access. Their consent
/// for it ends (audited, <c>oauth.consent_revoked</c>), and so does every live refresh-token family
/// of theirs issued to it (audited, <c>session.revoked</c> with reason <c>grant_revoked</c>): the
/// refresh tokens fail at once, and the access tokens of those families are refused at once by this
/// instance's validator (by <c>sid</c>). Not found when the app holds neither a consent nor a session.
/// </summary>
public sealed record RevokeUserGrantCommand(Guid UserId, string ClientId) : ICommand<Result>;

public sealed class RevokeUserGrantValidator : AbstractValidator<RevokeUserGrantCommand>
{
    public RevokeUserGrantValidator() =>
        RuleFor(c => c.ClientId).NotEmpty().WithMessage("client_id is required.").MaximumLength(128).WithMessage("This is not a client_id.");
}

public sealed class RevokeUserGrantHandler(IUserGrantRepository grants, IRefreshTokenFamilyRepository families, TimeProvider clock)
    : ICommandHandler<RevokeUserGrantCommand, Result>
{
    public async ValueTask<Result> Handle(RevokeUserGrantCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var grant = await grants.FindAsync(command.UserId, command.ClientId, cancellationToken);
        var sessions = (await families.ListActiveForUserAsync(command.UserId, now, cancellationToken))
            .Where(f => string.Equals(f.ClientId, command.ClientId, StringComparison.Ordinal))
            .ToList();
        if (grant is not { IsActive: true } && sessions.Count == 0)
        {
            return Error.NotFound("The grant");
        }

        grant?.Revoke(now);
        foreach (var family in sessions)
        {
            if (await families.RevokeAsync(family.Id, RevocationReasons.GrantRevoked, now, cancellationToken))
            {
                family.RecordRevoked(RevocationReasons.GrantRevoked);
            }
        }

        return Result.Success();
    }
}
