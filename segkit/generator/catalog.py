"""Commerce vocabularies: product categories, order statuses, event types, currencies,
NULL-like tokens, devices and channels (canonical values plus the raw aliases emitted)."""

from __future__ import annotations

# canonical category -> written aliases (first = most frequent)
CATEGORIES = {
    "electronics": ["Electronics", "electronics ", "ELEC", "Electronic", "Tech",
                    "Consumer Electronics"],
    "home_garden": ["Home & Garden", "home_garden", "Home and Garden", "HOME&GARDEN",
                    "Home", "Garden"],
    "fashion": ["Fashion", "fashion", "Apparel", "Clothing", "Clothes", "Mode"],
    "beauty": ["Beauty", "beauty", "Health & Beauty", "Cosmetics", "Beauty & Personal Care"],
    "sports_outdoors": ["Sports & Outdoors", "sports", "Sport", "Outdoor", "Sports_Outdoors"],
    "books": ["Books", "books", "Book", "Media", "Books & Media", "Bücher"],
    "toys_games": ["Toys & Games", "toys", "Toys", "Games", "toys_games"],
    "grocery": ["Grocery", "grocery", "Groceries", "Food & Drink", "Food", "Lebensmittel"],
}
CATEGORY_NAMES = tuple(CATEGORIES)
CATEGORY_ALIAS_WEIGHTS = (0.55, 0.15, 0.1, 0.08, 0.07, 0.05)
# basket price level of a category (multiplies the persona basket size)
CATEGORY_PRICE = (3.0, 1.6, 1.0, 0.6, 1.3, 0.35, 0.7, 0.4)

# raw status -> (status, is_sale, is_refund, is_cancelled); raw values in emitted case
ORDER_STATUSES = {
    "completed": ("completed", True, False, False),
    "COMPLETE": ("completed", True, False, False),
    "Completed": ("completed", True, False, False),
    "complete": ("completed", True, False, False),
    "paid": ("completed", True, False, False),
    "fulfilled": ("completed", True, False, False),
    "shipped": ("shipped", True, False, False),
    "SHIPPED": ("shipped", True, False, False),
    "delivered": ("delivered", True, False, False),
    "Delivered": ("delivered", True, False, False),
    "pending": ("pending", False, False, False),
    "processing": ("pending", False, False, False),
    "awaiting payment": ("pending", False, False, False),
    "CANCELED": ("cancelled", False, False, True),
    "cancelled": ("cancelled", False, False, True),
    "canceled": ("cancelled", False, False, True),
    "void": ("cancelled", False, False, True),
    "refunded": ("refunded", False, True, False),
    "REFUNDED": ("refunded", False, True, False),
    "returned": ("returned", False, True, False),
    "Returned": ("returned", False, True, False),
}
# weights of each group of raw statuses (sale, pending, cancelled, refund)
SALE_STATUSES = ("completed", "COMPLETE", "Completed", "complete", "paid", "fulfilled",
                 "shipped", "SHIPPED", "delivered", "Delivered")
SALE_STATUS_WEIGHTS = (0.34, 0.14, 0.08, 0.06, 0.05, 0.04, 0.12, 0.04, 0.1, 0.03)
PENDING_STATUSES = ("pending", "processing", "awaiting payment")
CANCELLED_STATUSES = ("CANCELED", "cancelled", "canceled", "void")
REFUND_STATUSES = ("refunded", "REFUNDED", "returned", "Returned")
# share of orders by status group: sale, pending, cancelled, refund
STATUS_GROUP_WEIGHTS = (0.86, 0.03, 0.05, 0.06)
UNKNOWN_STATUSES = ("shipped?", "in limbo", "STATUS_7", "??", "complete-ish")

EVENT_TYPES = {
    "page_view": ["page_view", "pageview", "PAGE_VIEW", "page view", "PageView", "screen_view"],
    "product_view": ["product_view", "view_item", "productView", "PRODUCT_VIEW", "pdp_view"],
    "add_to_cart": ["add_to_cart", "addToCart", "add-to-cart", "ADD_TO_CART", "cart_add"],
    "remove_from_cart": ["remove_from_cart", "removeFromCart", "cart_remove"],
    "checkout": ["checkout", "begin_checkout", "Checkout Started", "CHECKOUT"],
    "purchase": ["purchase", "order_completed", "Order Completed", "PURCHASE", "transaction"],
    "search": ["search", "site_search", "Search", "SEARCH"],
    "login": ["login", "sign_in", "signin", "LOGIN", "log_in"],
    "email_open": ["email_open", "emailOpened", "email_opened", "Opened Email", "open"],
    "email_click": ["email_click", "emailClicked", "email_clicked", "Clicked Email Link",
                    "click"],
}
EVENT_TYPE_NAMES = tuple(EVENT_TYPES)
EVENT_ALIAS_WEIGHTS = (0.8, 0.08, 0.05, 0.03, 0.02, 0.02)
UNKNOWN_EVENT_TYPES = ("page_veiw", "clck", "add_to_cartt", "evt_42", "purchace")

FX_RATES = {"USD": 1.0, "EUR": 1.08, "GBP": 1.27, "CAD": 0.74, "AUD": 0.66}
MISSING_FX_CURRENCY = "CHF"  # valid ISO 4217 code deliberately absent from fx_rates.csv
UNKNOWN_CURRENCIES = ("XYZ", "EURO$", "ZZZ")
CURRENCY_SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "$", "AUD": "$"}

NULL_TOKENS = ("N/A", "null", "NULL", "-", "none", "", "  ")

DEVICES = ("desktop", "mobile", "tablet")
EVENT_CHANNELS = ("web", "app", "email")
WEB_ORDER_CHANNELS = ("web", "app", "marketplace")
POS_ORDER_CHANNELS = ("store", "phone")
GENDER_VALUES = {"crm": ("F", "M", "D"), "webshop": ("female", "male", "other"),
                 "pos": ("F", "M", "U")}
CONSENT_VALUES = {"crm": ("yes", "no"), "webshop": ("1", "0"), "pos": ("Y", "N")}
