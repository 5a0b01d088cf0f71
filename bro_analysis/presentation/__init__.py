"""Presentation building blocks that know nothing about the data: Swedish number
format and sentences, figure style, HTML report blocks and the nbconvert template."""
