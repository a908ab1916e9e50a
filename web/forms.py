"""WTForms forms (Flask-WTF adds the hidden csrf_token field to each)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=64)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码"), Length(max=1024)])


class ActionForm(FlaskForm):
    """A POST button with nothing but its CSRF token and an optional comment (archive, restore, revert)."""

    comment = StringField("说明", validators=[Length(max=500)])
