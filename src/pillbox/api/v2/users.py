"""How users appear inside other records (the /users endpoints arrive with the users resource)."""

PICTURE_URL = "https://capsulecrm.com/theme/default/images/person_avatar_70.png"
