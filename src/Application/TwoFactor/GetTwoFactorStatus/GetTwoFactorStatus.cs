using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.Users;
using Mediator;

namespace AuthPlatform.Application.TwoFactor.GetTwoFactorStatus;

/// <summary>Whether 2FA is on, and how many recovery codes are left.</summary>
public sealed record GetTwoFactorStatusQuery(Guid UserId) : IQuery<Result<TwoFactorStatusResponse>>;

public sealed class GetTwoFactorStatusHandler(CallerAccounts callers) : IQueryHandler<GetTwoFactorStatusQuery, Result<TwoFactorStatusResponse>>
{
    public async ValueTask<Result<TwoFactorStatusResponse>> Handle(GetTwoFactorStatusQuery query, CancellationToken cancellationToken)
    {
        var user = await callers.LoadAsync(query.UserId, cancellationToken, withRecoveryCodes: true);
        return user.IsFailure ? user.Error! : new TwoFactorStatusResponse(user.Value.TwoFactorEnabled, user.Value.RecoveryCodesLeft);
    }
}
