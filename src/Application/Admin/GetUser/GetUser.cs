using AuthPlatform.Application.Admin.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Users;
using Mediator;

namespace AuthPlatform.Application.Admin.GetUser;

/// <summary>One user, for administrators.</summary>
public sealed record GetUserQuery(Guid UserId) : IQuery<Result<AdminUserResponse>>;

public sealed class GetUserHandler(IUserRepository users, AdminUserViews views) : IQueryHandler<GetUserQuery, Result<AdminUserResponse>>
{
    public async ValueTask<Result<AdminUserResponse>> Handle(GetUserQuery query, CancellationToken cancellationToken) =>
        await users.FindByIdAsync(query.UserId, cancellationToken) is { } user
            ? await views.DescribeAsync(user, cancellationToken)
            : AdminUsers.NotFound;
}
