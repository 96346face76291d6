"""Member pages of the proposals app: lists, drafting, the shared detail page, actions."""
