namespace AuthPlatform.Domain.Users;

public enum UserRole
{
    User,
    Admin,
}
